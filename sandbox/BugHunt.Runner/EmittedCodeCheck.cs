using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace BugHunt.Runner;

/// <summary>
/// Memory safety checked on what was compiled, not on how the source spelled it: the emitted
/// assembly may hold no explicit or overlapping layout, no pointer or function pointer in any
/// signature, no localloc / calli / typed-reference or block opcode, no P/Invoke, native or
/// body-less method, no module initializer, and no assembly- or module-level attribute beyond the
/// compiler's own. Runs after the semantic policy, so a refusal here means the policy missed a
/// spelling; the message names the type or method.
/// </summary>
internal static class EmittedCodeCheck
{
    // Assembly and module attributes the C# compiler emits by itself.
    private static readonly HashSet<string> CompilerAssemblyAttributes = new(StringComparer.Ordinal)
    {
        "System.Runtime.CompilerServices.CompilationRelaxationsAttribute",
        "System.Runtime.CompilerServices.RuntimeCompatibilityAttribute",
        "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
        "System.Runtime.CompilerServices.NullablePublicOnlyAttribute",
        "System.Diagnostics.DebuggableAttribute",
        "System.Runtime.Versioning.TargetFrameworkAttribute",
    };

    // Type- and member-level attributes whose effect bypasses the type system.
    private static readonly HashSet<string> DangerousAttributes = new(StringComparer.Ordinal)
    {
        "System.Runtime.CompilerServices.UnsafeAccessorAttribute",
        "System.Runtime.CompilerServices.ModuleInitializerAttribute",
        "System.Runtime.CompilerServices.SkipLocalsInitAttribute",
        "System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute",
        "System.Runtime.InteropServices.UnmanagedCallersOnlyAttribute",
        "System.Runtime.InteropServices.LibraryImportAttribute",
        "System.Runtime.InteropServices.SuppressGCTransitionAttribute",
        "System.Runtime.InteropServices.DynamicInterfaceCastableImplementationAttribute",
        "System.Runtime.CompilerServices.FixedBufferAttribute",
    };

    private static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => (ushort)o.Value);

    private static readonly HashSet<ushort> ForbiddenOpCodes =
    [
        (ushort)OpCodes.Localloc.Value, (ushort)OpCodes.Calli.Value, (ushort)OpCodes.Jmp.Value, (ushort)OpCodes.Cpblk.Value,
        (ushort)OpCodes.Initblk.Value, (ushort)OpCodes.Arglist.Value, (ushort)OpCodes.Mkrefany.Value,
        (ushort)OpCodes.Refanyval.Value, (ushort)OpCodes.Refanytype.Value,
    ];

    /// <summary>The first problem found in the image, or null when it is clean.</summary>
    public static string? Check(ImmutableArray<byte> image) => AllProblems(image).FirstOrDefault();

    public static IReadOnlyList<string> AllProblems(ImmutableArray<byte> image)
    {
        using var pe = new PEReader(image);
        return [.. Problems(pe.GetMetadataReader(), pe)];
    }

    private static IEnumerable<string> Problems(MetadataReader md, PEReader pe)
    {
        if (md.GetTableRowCount(TableIndex.ModuleRef) > 0)
        {
            yield return "the compiled code references a native module";
        }
        foreach (var handle in md.GetCustomAttributes(EntityHandle.AssemblyDefinition).Concat(md.GetCustomAttributes(EntityHandle.ModuleDefinition)))
        {
            var name = AttributeName(md, md.GetCustomAttribute(handle));
            if (!CompilerAssemblyAttributes.Contains(name))
            {
                yield return $"the assembly-level attribute {name} is not allowed";
            }
        }
        foreach (var handle in md.CustomAttributes)
        {
            var name = AttributeName(md, md.GetCustomAttribute(handle));
            if (DangerousAttributes.Contains(name))
            {
                yield return $"the attribute {name} is not allowed";
            }
        }
        var pointers = new PointerDetector();
        foreach (var typeHandle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(typeHandle);
            var typeName = TypeName(md, type);
            var instanceFields = type.GetFields().Select(md.GetFieldDefinition).Where(f => (f.Attributes & FieldAttributes.Static) == 0).ToList();
            if ((type.Attributes & TypeAttributes.LayoutMask) == TypeAttributes.ExplicitLayout && instanceFields.Count > 0)
            {
                yield return $"type {typeName} has an explicit field layout";
            }
            if (typeName == "<Module>" && type.GetMethods().Count > 0)
            {
                yield return "the compiled code has a module initializer";
            }
            foreach (var field in type.GetFields().Select(md.GetFieldDefinition))
            {
                if (field.GetOffset() != -1)
                {
                    yield return $"field {typeName}.{md.GetString(field.Name)} has an explicit offset";
                }
                if (field.DecodeSignature(pointers, null))
                {
                    yield return $"field {typeName}.{md.GetString(field.Name)} has a pointer type";
                }
            }
            foreach (var methodHandle in type.GetMethods())
            {
                var method = md.GetMethodDefinition(methodHandle);
                var methodName = $"{typeName}.{md.GetString(method.Name)}";
                if ((method.Attributes & MethodAttributes.PinvokeImpl) != 0 || !method.GetImport().Module.IsNil)
                {
                    yield return $"method {methodName} is a P/Invoke";
                }
                var impl = method.ImplAttributes;
                if ((impl & MethodImplAttributes.InternalCall) != 0 || (impl & MethodImplAttributes.CodeTypeMask) != MethodImplAttributes.IL && !IsDelegateRuntimeMethod(md, type, impl)
                    || (impl & MethodImplAttributes.Unmanaged) != 0)
                {
                    yield return $"method {methodName} is implemented natively";
                }
                if (method.DecodeSignature(pointers, null) is var signature && (signature.ReturnType || signature.ParameterTypes.Any(p => p)))
                {
                    yield return $"method {methodName} has a pointer in its signature";
                }
                if (method.RelativeVirtualAddress == 0)
                {
                    if ((method.Attributes & MethodAttributes.Abstract) == 0 && !IsDelegateRuntimeMethod(md, type, impl))
                    {
                        yield return $"method {methodName} has no body";
                    }
                    continue;
                }
                var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil
                    && md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(pointers, null).Any(l => l))
                {
                    yield return $"method {methodName} has a pointer-typed local";
                }
                if (ForbiddenOpCode(body.GetILBytes() ?? []) is { } opcode)
                {
                    yield return $"method {methodName} uses the {opcode} instruction";
                }
            }
        }
        foreach (var handle in Enumerable.Range(1, md.GetTableRowCount(TableIndex.TypeSpec)).Select(MetadataTokens.TypeSpecificationHandle))
        {
            if (md.GetTypeSpecification(handle).DecodeSignature(pointers, null))
            {
                yield return "the compiled code uses a pointer type";
            }
        }
        foreach (var handle in md.MemberReferences)
        {
            var member = md.GetMemberReference(handle);
            if (IsConstantSpanConstructor(md, member))
            {
                continue;
            }
            var pointer = member.GetKind() == MemberReferenceKind.Field
                ? member.DecodeFieldSignature(pointers, null)
                : member.DecodeMethodSignature(pointers, null) is var s && (s.ReturnType || s.ParameterTypes.Any(p => p));
            if (pointer)
            {
                yield return $"the compiled code calls {md.GetString(member.Name)} with a pointer type";
            }
        }
        foreach (var handle in Enumerable.Range(1, md.GetTableRowCount(TableIndex.MethodSpec)).Select(MetadataTokens.MethodSpecificationHandle))
        {
            if (md.GetMethodSpecification(handle).DecodeSignature(pointers, null).Any(p => p))
            {
                yield return "the compiled code instantiates a generic method with a pointer type";
            }
        }
    }

    /// <summary>
    /// <c>ReadOnlySpan&lt;T&gt;(void*, int)</c>: how the compiler wraps constant data (<c>ReadOnlySpan&lt;byte&gt; b = [1, 2]</c>)
    /// around its read-only static blob. Calling it needs a pointer on the stack, which nothing else
    /// allowed here can produce, so the reference alone is safe.
    /// </summary>
    private static bool IsConstantSpanConstructor(MetadataReader md, MemberReference member)
    {
        if (md.GetString(member.Name) != ".ctor")
        {
            return false;
        }
        var parent = member.Parent;
        if (parent.Kind == HandleKind.TypeSpecification)
        {
            var blob = md.GetBlobReader(md.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
            if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
            {
                return false;
            }
            blob.ReadCompressedInteger();
            parent = blob.ReadTypeHandle();
        }
        return parent.Kind == HandleKind.TypeReference && TypeReferenceName(md, (TypeReferenceHandle)parent) == "System.ReadOnlySpan`1";
    }

    /// <summary>Delegate constructors and Invoke/BeginInvoke/EndInvoke are implemented by the runtime.</summary>
    private static bool IsDelegateRuntimeMethod(MetadataReader md, TypeDefinition type, MethodImplAttributes impl)
    {
        if ((impl & MethodImplAttributes.CodeTypeMask) != MethodImplAttributes.Runtime || type.BaseType.IsNil)
        {
            return false;
        }
        var baseName = type.BaseType.Kind == HandleKind.TypeReference ? TypeReferenceName(md, (TypeReferenceHandle)type.BaseType) : "";
        return baseName == "System.MulticastDelegate";
    }

    private static string? ForbiddenOpCode(byte[] il)
    {
        for (var i = 0; i < il.Length;)
        {
            ushort value = il[i];
            i++;
            if (value == 0xFE && i < il.Length)
            {
                value = (ushort)(0xFE00 | il[i]);
                i++;
            }
            if (!OpCodesByValue.TryGetValue(value, out var opcode))
            {
                return $"unknown (0x{value:X})";
            }
            if (ForbiddenOpCodes.Contains(value))
            {
                return opcode.Name;
            }
            i += opcode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * (int)BitConverter.ToUInt32(il, i),
                _ => 4,
            };
        }
        return null;
    }

    private static string AttributeName(MetadataReader md, CustomAttribute attribute)
    {
        var parent = attribute.Constructor.Kind switch
        {
            HandleKind.MemberReference => md.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
            HandleKind.MethodDefinition => md.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
            _ => default,
        };
        return parent.Kind switch
        {
            HandleKind.TypeReference => TypeReferenceName(md, (TypeReferenceHandle)parent),
            HandleKind.TypeDefinition => TypeName(md, md.GetTypeDefinition((TypeDefinitionHandle)parent)),
            _ => "(unknown)",
        };
    }

    private static string TypeReferenceName(MetadataReader md, TypeReferenceHandle handle)
    {
        var reference = md.GetTypeReference(handle);
        var ns = md.GetString(reference.Namespace);
        return (ns.Length > 0 ? ns + "." : "") + md.GetString(reference.Name);
    }

    private static string TypeName(MetadataReader md, TypeDefinition type)
    {
        var ns = md.GetString(type.Namespace);
        var name = md.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        return declaring.IsNil ? (ns.Length > 0 ? ns + "." : "") + name : TypeName(md, md.GetTypeDefinition(declaring)) + "+" + name;
    }

    /// <summary>Decodes a signature to "does it contain a pointer or function pointer anywhere".</summary>
    private sealed class PointerDetector : ISignatureTypeProvider<bool, object?>
    {
        public bool GetPointerType(bool elementType) => true;
        public bool GetFunctionPointerType(MethodSignature<bool> signature) => true;
        public bool GetArrayType(bool elementType, ArrayShape shape) => elementType;
        public bool GetByReferenceType(bool elementType) => elementType;
        public bool GetGenericInstantiation(bool genericType, ImmutableArray<bool> typeArguments) => genericType || typeArguments.Any(t => t);
        public bool GetGenericMethodParameter(object? genericContext, int index) => false;
        public bool GetGenericTypeParameter(object? genericContext, int index) => false;
        public bool GetModifiedType(bool modifier, bool unmodifiedType, bool isRequired) => unmodifiedType;
        public bool GetPinnedType(bool elementType) => true;
        public bool GetPrimitiveType(PrimitiveTypeCode typeCode) => false;
        public bool GetSZArrayType(bool elementType) => elementType;
        public bool GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => false;
        public bool GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => false;
        public bool GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
